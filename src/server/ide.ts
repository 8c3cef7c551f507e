// The in-browser IDE: GraphiQL at GET /graphql (for a browser, which asks for HTML), served from
// the npm packages' own prebuilt files, so it works with no network beyond this server. Its
// header editor starts with an empty Bearer header for the API key, which it sends with every
// request and, for subscriptions, in the WebSocket's connection_init payload. A Content Security
// Policy lets the page load and connect to nothing but this server.
import path from "node:path";
import type express from "express";

/** The page's own setup, served as a file so the policy needs no inline script. */
const SETUP_SCRIPT = `"use strict";
(function () {
  var wsUrl = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/graphql";
  var fetcher = GraphiQL.createFetcher({ url: "/graphql", subscriptionUrl: wsUrl });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultHeaders: JSON.stringify({ Authorization: "Bearer " }, null, 2),
      defaultEditorToolsVisibility: "headers",
      shouldPersistHeaders: false,
    }),
  );
})();
`;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>offerplan GraphQL</title>
    <link rel="stylesheet" href="/ide/graphiql.min.css" />
    <style>
      body { margin: 0; height: 100vh; }
      #graphiql { height: 100vh; }
    </style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script src="/ide/react.production.min.js"></script>
    <script src="/ide/react-dom.production.min.js"></script>
    <script src="/ide/graphiql.min.js"></script>
    <script src="/ide/setup.js"></script>
  </body>
</html>
`;

// The inline <style> above, and the styles GraphiQL sets on elements, need 'unsafe-inline' for
// styles; scripts come only from this server's files.
const POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

const JS = "text/javascript; charset=utf-8";

/** URL name → the file in node_modules and its type. Nothing else of the packages is served. */
function assets(): Record<string, { file: string; type: string }> {
  const react = packageDir("react");
  const reactDom = packageDir("react-dom");
  const graphiql = packageDir("graphiql");
  return {
    "react.production.min.js": {
      file: path.join(react, "umd", "react.production.min.js"),
      type: JS,
    },
    "react-dom.production.min.js": {
      file: path.join(reactDom, "umd", "react-dom.production.min.js"),
      type: JS,
    },
    "graphiql.min.js": { file: path.join(graphiql, "graphiql.min.js"), type: JS },
    "graphiql.min.css": {
      file: path.join(graphiql, "graphiql.min.css"),
      type: "text/css; charset=utf-8",
    },
  };
}

/** Routes of the IDE: the page at GET /graphql for browsers, its files under /ide/. */
export function mountIde(app: express.Express): void {
  const files = assets();
  app.get("/ide/setup.js", (_req, res) => {
    res.type(JS).send(SETUP_SCRIPT);
  });
  app.get("/ide/:name", (req, res, next) => {
    const asset = files[req.params.name];
    if (!asset) return next();
    // the files change only with the package versions
    res.sendFile(asset.file, { headers: { "content-type": asset.type }, maxAge: "1h" });
  });
  app.get("/graphql", (req, res, next) => {
    // a GET with a query, or from a client that does not ask for HTML, is an API request
    if ("query" in req.query || req.accepts(["application/json", "text/html"]) !== "text/html")
      return next();
    res.set("content-security-policy", POLICY).type("html").send(PAGE);
  });
}
