// Starts Swagger UI on the API's documentation page (templates/api/docs.html). A file, not an inline script:
// the Content-Security-Policy allows scripts from this site only. Calls are tried with a token the reader
// gives under "Authorize"; no cookie is sent.
"use strict";
(function () {
  const element = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null,
    deepLinking: true,
    persistAuthorization: false,
    requestInterceptor: function (request) {
      request.credentials = "omit";
      return request;
    },
  });
})();
