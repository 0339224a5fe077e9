"""The HTML report's one style sheet, inline: nothing is fetched, contrast ≥ 4.5:1, text can be enlarged."""

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Hiragino Sans", "Noto Sans JP", "Yu Gothic", "Meiryo", system-ui, sans-serif;
  font-size: 1rem; line-height: 1.7; color: #1a1a1a; background: #fff; }
header, main, footer, nav { max-width: 75rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1.5rem; border-bottom: 0.25rem solid #1f5fa8; }
h1 { font-size: 1.75rem; margin: 0.25rem 0 1rem; }
h2 { font-size: 1.4rem; margin-top: 2.5rem; border-bottom: 1px solid #767676; }
h3 { font-size: 1.15rem; margin-top: 1.75rem; }
a { color: #0a47a0; }  /* 7.7:1 even on the table-head tint: AAA contrast */
/* Stand-alone links get a target of at least 24×24 px (WCAG 2.5.8); links in sentences stay inline. */
nav a, table a, .places a, footer a, .skip { display: inline-block; min-height: 1.5rem; min-width: 1.5rem; }
a:focus-visible, summary:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; }
.skip { position: absolute; left: -999rem; }
.skip:focus { position: static; display: inline-block; padding: 0.5rem; background: #fff; }
.tool { margin: 0; color: #4a4a4a; }
nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem; padding: 0; list-style: none; }
dl.facts { display: flex; flex-wrap: wrap; gap: 0.5rem 2rem; margin: 1rem 0; }
dl.facts div { min-width: 10rem; }
dt { font-size: 0.875rem; color: #4a4a4a; }
dd { margin: 0; font-weight: bold; }
.big { font-size: 2rem; }
.gate { display: inline-block; padding: 0 0.5rem; border: 2px solid #1a1a1a; border-radius: 0.25rem; }
.gate-pass { background: #e6f4ea; color: #0d5223; border-color: #0d5223; }
.gate-fail { background: #fce8e6; color: #8c1d18; border-color: #8c1d18; }
.charts figure { margin: 1rem 0; }
svg.chart { display: block; width: 100%; height: auto; }
svg.radar { max-width: 40rem; }
svg.bars { max-width: 52rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { border: 1px solid #767676; padding: 0.375rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: #eef2f7; overflow-wrap: normal; }
tbody th { font-weight: normal; }
td, th { overflow-wrap: anywhere; }
td p { margin: 0 0 0.375rem; }
.status { display: inline-block; padding: 0 0.375rem; border-radius: 0.25rem; white-space: nowrap;
  font-weight: bold; border: 1px solid currentColor; }
.s-fail { background: #fce8e6; color: #8c1d18; }
.s-error { background: #fdecea; color: #7a1f00; }
.s-manual { background: #fef7e0; color: #6b4100; }
.s-waived { background: #eeeeee; color: #3c3c3c; }
.s-pass { background: #e6f4ea; color: #0d5223; }
.s-not_applicable { background: #f1f3f4; color: #3c4043; }
.met_yes { color: #0d5223; font-weight: bold; }
.met_no { color: #8c1d18; font-weight: bold; }
.note { color: #4a4a4a; font-size: 0.875rem; }
ul.places { margin: 0; padding-left: 1.1rem; }
pre.snippet { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; padding: 0.375rem;
  margin: 0.25rem 0 0; font-size: 0.875rem; }
code { font-family: ui-monospace, "SFMono-Regular", Consolas, monospace; }
.first-step { border-left: 0.25rem solid #1f5fa8; padding-left: 1rem; margin: 1rem 0; }
details { margin: 0.5rem 0; }
summary { cursor: pointer; }
footer { margin-top: 3rem; padding-bottom: 2rem; border-top: 1px solid #767676; color: #4a4a4a; }
@media print { .skip, nav { display: none; } }
"""


