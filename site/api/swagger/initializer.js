// Starts Swagger UI on the bundled contract next to this page. The docs build writes the API base URL
// (KATAPP_API_URL, default http://127.0.0.1:3000) as the only entry of `servers` in that copy, so
// "Try it out" sends requests there.
window.addEventListener('load', () => {
  window.ui = window.SwaggerUIBundle({
    url: 'openapi.json',
    dom_id: '#swagger-ui',
    // null turns off the badge that sends the spec to an online validator.
    validatorUrl: null,
    // Ignore ?url= and ?configUrl= so a link cannot point the page at another document.
    queryConfigEnabled: false,
    deepLinking: true,
    displayOperationId: true,
    displayRequestDuration: true,
    showExtensions: true,
    persistAuthorization: false,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
