// Run first thing in <body>: GOV.UK Frontend styles its components for JavaScript by these
// classes (a file, not an inline script, so the Content-Security-Policy needs no exception).
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
