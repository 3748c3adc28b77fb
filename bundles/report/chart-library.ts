import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { seaAsset } from '../../kit/sea.js';

// uPlot (MIT), inlined into every report: small (about 50 KB minified),
// made for time series, fast on long ones, and drawn on a canvas with
// nothing to fetch. It is read from the installed package when the first
// report is built (the CLI's esbuild bundle resolves it the same way, from
// the package's node_modules), with its licence kept beside the code. The
// single-file executable carries the three files as assets of these names.
export const CHART_FILES = ['dist/uPlot.iife.min.js', 'dist/uPlot.min.css', 'LICENSE'] as const;

export interface ChartLibrary {
  // The script, licence comment first; the stylesheet.
  js: string;
  css: string;
}

let loaded: Promise<ChartLibrary> | undefined;

async function load(): Promise<ChartLibrary> {
  const file = async (rel: string) => {
    const inside = seaAsset(`uplot/${rel}`);
    if (inside !== undefined) return inside;
    return readFile(createRequire(import.meta.url).resolve(`uplot/${rel}`), 'utf8');
  };
  const [jsFile, cssFile, licenseFile] = CHART_FILES;
  const [js, css, license] = await Promise.all([
    file(jsFile),
    file(cssFile),
    file(licenseFile).catch(() => 'MIT License, Copyright (c) 2022 Leon Sorokin'),
  ]);
  // Inside a <script> and a comment: neither may end early.
  const note = license.replace(/\*\//g, '* /').replace(/<\//g, '< /');
  return { js: `/*! uPlot, https://github.com/leeoniya/uPlot\n${note}*/\n${js}`, css };
}

export function chartLibrary(): Promise<ChartLibrary> {
  loaded ??= load().catch((e) => {
    loaded = undefined;
    throw e;
  });
  return loaded;
}
