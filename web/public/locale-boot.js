// Before first paint: the member's saved language and its direction on <html>, so a Uyghur or Kazakh member never
// sees the app flash left-to-right. A plain blocking script (the CSP allows 'self', not inline). The key and the
// right-to-left locales are the ones of src/i18n/index.ts (LOCALE_KEY) and shared LOCALE_INFO; keep them in step.
;(function () {
  try {
    var saved = localStorage.getItem('msj-locale')
    var known = { 'zh-CN': 'ltr', en: 'ltr', ug: 'rtl', 'kk-Arab-CN': 'rtl' }
    if (saved && known[saved]) {
      document.documentElement.lang = saved
      document.documentElement.dir = known[saved]
    }
  } catch (e) {
    // Storage blocked: the app module sets the language itself.
  }
})()
