import { createHash } from 'node:crypto'

/**
 * The scan page's only script, inline (no extra request on slow 3G) and allowed by its hash in the CSP
 * (app.ts). Everything it does is an extra: the form works without it.
 * - The description's counter "n/2000" (characters as the server counts them: code points).
 * - "使用我的位置": fills the hidden lat/lng/accuracy after the browser's permission, saying what happens; the
 *   messages come from data attributes (in the page's language), `%m` standing for the metres.
 */
export const SCAN_SCRIPT = `(function(){var d=document,t=d.getElementById('description'),c=d.getElementById('description-count');
if(t&&c){var u=function(){var n=Array.from(t.value).length;c.textContent=n+'/2000';c.className=n>2000?'count error':'count'};c.hidden=false;t.addEventListener('input',u);u()}
var b=d.getElementById('geo'),s=d.getElementById('geo-status'),f=function(n,v){d.getElementsByName(n)[0].value=v};
if(b&&s&&navigator.geolocation){b.hidden=false;b.addEventListener('click',function(){s.textContent=b.dataset.wait;b.disabled=true;
navigator.geolocation.getCurrentPosition(function(p){var a=Math.round(p.coords.accuracy);f('lat',p.coords.latitude);f('lng',p.coords.longitude);f('accuracy',a);s.textContent=b.dataset.ok.replace('%m',a);b.disabled=false},
function(e){s.textContent=e.code===1?b.dataset.denied:b.dataset.fail;b.disabled=false},{enableHighAccuracy:true,timeout:20000,maximumAge:60000})})}})()`

/** For the CSP's script-src: this exact script may run, no other inline one. */
export const SCAN_SCRIPT_HASH = `'sha256-${createHash('sha256').update(SCAN_SCRIPT).digest('base64')}'`
