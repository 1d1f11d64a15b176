import { render } from 'preact'
import { App } from './app'
import { data } from './data'
import { applyLocaleToDocument } from './i18n'
import { startServiceWorker } from './sw-bridge'
import './styles.css'

applyLocaleToDocument()
document.documentElement.dataset.build = __BUILD_ID__
data.start()
render(<App />, document.getElementById('app')!)
// A tapped push notice while the app is open: navigate like a link would (preact-iso listens to popstate).
startServiceWorker((url) => {
  history.pushState(null, '', url)
  dispatchEvent(new PopStateEvent('popstate'))
})
