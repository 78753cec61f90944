// Starts Swagger UI (served by Atelier from npm's swagger-ui-dist) on the API's own document.
// A file rather than an inline script, so the page's policy runs only this site's scripts.
window.addEventListener("load", () => {
  window.SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#reference",
    deepLinking: true,
    // Calls made from the page carry the studio's session cookie; a token can be set instead.
    withCredentials: true,
    persistAuthorization: false,
  });
});
