// Builds static/vendor/bootstrap/ from the npm packages (see static/vendor/README.md):
//   bootstrap.custom.min.js   the plugins in bootstrap.entry.js, with Popper (dropdowns), by esbuild
//   bootstrap.trimmed.min.css bootstrap.css less the rules no template, script or Python file
//                             of the project uses (PurgeCSS), minified by esbuild
//   bootstrap-classes.txt     every class the full bootstrap.css defines (tests/marketplace/test_static.py
//                             checks that those the templates use are in the trimmed file)
// Run by build.sh inside a scratch folder that has the npm packages: node build.mjs REPO.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import * as esbuild from "esbuild";
import { PurgeCSS } from "purgecss";

const repo = path.resolve(process.argv[2]);
const out = path.join(repo, "static/vendor/bootstrap");
const require = createRequire(import.meta.url);
const bootstrapDir = path.dirname(require.resolve("bootstrap/package.json"));
const version = JSON.parse(readFileSync(path.join(bootstrapDir, "package.json"))).version;
const popperVersion = JSON.parse(readFileSync(require.resolve("@popperjs/core/package.json"))).version;
const banner = `/*!
 * Bootstrap v${version} (https://getbootstrap.com/), only the parts this site uses (static/vendor/README.md)
 * Copyright 2011-2026 The Bootstrap Authors
 * Licensed under MIT (https://github.com/twbs/bootstrap/blob/main/LICENSE)
 */`;

// 1. JavaScript: the used plugins and Popper, one IIFE.
await esbuild.build({
  entryPoints: [path.join(repo, "deploy/vendor/bootstrap.entry.js")],
  nodePaths: [path.join(process.cwd(), "node_modules")],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2019",
  legalComments: "none",
  banner: { js: banner + `\n/*! @popperjs/core v${popperVersion} | MIT License */` },
  outfile: path.join(out, "bootstrap.custom.min.js"),
});

// 2. CSS: PurgeCSS over everything that writes a class, the built plugins included (the classes
// they add: show, collapsing, carousel-item-next...).
const fullCss = readFileSync(path.join(bootstrapDir, "dist/css/bootstrap.css"), "utf8");
const [purged] = await new PurgeCSS().purge({
  content: [
    path.join(repo, "templates/**/*.html"),
    path.join(repo, "static/js/**/*.js"),
    path.join(repo, "static/messaging/**/*.js"),
    path.join(repo, "{accounts,buyer_requests,escrow,gigs,marketplace,messaging,orders,reviews}/**/*.py"),
    path.join(out, "bootstrap.custom.min.js"),
  ],
  css: [{ raw: fullCss }],
  // Class names the templates put together from parts: alert-{{ message.level_tag }},
  // alert-{% if %}danger{% endif %}, row-cols-md-{{ packages|length }}.
  safelist: {
    standard: [
      /^alert-(primary|secondary|success|info|warning|danger|light|dark)$/,
      /^row-cols-md-[1-6]$/,
      // Set by scripts at run time (Bootstrap, htmx swaps) or by the browser's state.
      "show", "showing", "hiding", "collapsing", "collapse-horizontal", "fade", "active", "disabled",
      "is-invalid", "dropdown-menu-end",
      // Reboot's element rules whatever the templates have today: people's texts may hold any of them.
      "abbr", "address", "blockquote", "caption", "code", "dd", "dl", "dt", "figure", "hr", "iframe", "kbd",
      "mark", "ol", "optgroup", "pre", "samp", "small", "sub", "sup", "table", "tbody", "td", "tfoot",
      "th", "thead", "tr", "ul",
    ],
  },
  // Attributes that only scripts set (Bootstrap's dropdowns in the navbar: data-bs-popper="static").
  dynamicAttributes: ["data-bs-popper", "title"],
  variables: false,
  keyframes: false,
  fontFace: false,
});
const minified = await esbuild.transform(purged.css, { loader: "css", minify: true, legalComments: "none" });
writeFileSync(path.join(out, "bootstrap.trimmed.min.css"), banner + "\n" + minified.code);

// 3. The class names of the full stylesheet, for the safelist regression test.
// A class counts as Bootstrap's where it leads a selector (".icon-link > .bi" defines no "bi").
const classes = new Set();
const selectors = fullCss.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\{[^{}]*\}/g, "{}").matchAll(/([^{}@]+)\{/g);
for (const [, group] of selectors) {
  for (const selector of group.split(",")) {
    const lead = selector.trim().split(/[\s>+~]/)[0];
    for (const match of lead.matchAll(/\.(-?[_a-zA-Z][\w-]*)/g)) classes.add(match[1]);
  }
}
writeFileSync(
  path.join(repo, "deploy/vendor/bootstrap-classes.txt"),
  `# Every class bootstrap.css v${version} defines (deploy/vendor/build.mjs writes this file).\n` +
    [...classes].sort().join("\n") + "\n",
);
console.log(`bootstrap ${version}: ${classes.size} classes; trimmed css ${minified.code.length} bytes`);
