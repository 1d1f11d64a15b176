/**
 * The one stylesheet of the resident pages, inlined into each (no extra request on slow 3G). System fonts only;
 * ≥ 16 px text so phones do not zoom; 48 px touch targets; logical properties so RTL (ug, kk) lays out itself.
 * Colours meet WCAG AA on white: text #1a1a1a, accent #a31515 (7.0:1), muted #555 (7.5:1), error #b00020.
 */
export const PAGE_CSS = `*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:18px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans","Noto Naskh Arabic",sans-serif;color:#1a1a1a;background:#fff}
header{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem;padding:.5rem 1rem;background:#a31515;color:#fff}
header b{font-size:1.1rem}
header nav a,header nav button{color:#fff;display:inline-block;min-height:44px;line-height:44px;padding:0 .4rem}
header nav button{width:auto;margin:0;border:0;background:none;font-weight:400;text-decoration:underline}
[hidden]{display:none!important}
.count{display:block;text-align:end;color:#555;font-size:1rem}
main{max-width:36rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;line-height:1.3;margin:.5rem 0}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.card{display:flex;gap:1rem;align-items:center;margin:.5rem 0 1rem}
.avatar{flex:none;width:72px;height:72px;border-radius:50%;background:#f3e3e3;color:#a31515;font-size:2rem;display:flex;align-items:center;justify-content:center;object-fit:cover}
.muted{color:#555}
.box{background:#f6f6f6;border-radius:.5rem;padding:.75rem 1rem;margin:1rem 0}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
.hint{font-weight:400;color:#555;font-size:1rem}
input,select,textarea,button{font:inherit;font-size:18px;width:100%;min-height:48px;padding:.5rem .75rem;border:2px solid #767676;border-radius:.5rem;background:#fff;color:#1a1a1a}
textarea{min-height:8rem}
input[type=checkbox],input[type=radio]{width:28px;min-height:28px;height:28px;margin:0;flex:none}
.check{display:flex;gap:.75rem;align-items:flex-start;font-weight:400}
input:focus,select:focus,textarea:focus,button:focus,a:focus{outline:3px solid #0b57d0;outline-offset:2px}
button{background:#a31515;color:#fff;border-color:#a31515;font-weight:700;margin-top:1.25rem;cursor:pointer}
button.secondary{background:#fff;color:#a31515}
[aria-invalid=true]{border-color:#b00020}
.error{color:#b00020;font-weight:600;margin:.25rem 0}
.alert{border:2px solid #b00020;color:#b00020;border-radius:.5rem;padding:.75rem 1rem}
.ok{border:2px solid #1e6b34;color:#1e6b34;border-radius:.5rem;padding:.75rem 1rem}
.hp{position:absolute;inset-inline-start:-9999px;width:1px;height:1px;overflow:hidden}
ol.timeline{list-style:none;padding:0;margin:0;border-inline-start:3px solid #e0c4c4}
ol.timeline li{padding:0 0 1rem;padding-inline-start:1rem;margin-inline-start:-.5rem}
.no{font-size:1.4rem;font-weight:700;letter-spacing:.05em;direction:ltr;unicode-bidi:embed}
a{color:#0b57d0}
footer{max-width:36rem;margin:2rem auto;padding:0 1rem;color:#555;font-size:1rem}`
