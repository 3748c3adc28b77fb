// The single-file executable (`npm run package`) carries, as assets, the
// files a checkout or an npm install reads beside its code: package.json,
// the built-in profiles and the chart library. Its entry
// (kit/cli/bin/dropkit.ts) hands node:sea over here; anywhere else there is
// none, and callers read their files as they always have. Not imported from
// node:sea directly: that module exists from Node 20.12, the CLI runs on 20.5.

export interface SeaAssets {
  getAsset(key: string, encoding: string): string;
}

let assets: SeaAssets | undefined;

export function useSeaAssets(sea: SeaAssets): void {
  assets = sea;
}

export function inSea(): boolean {
  return assets !== undefined;
}

// The asset's text, or undefined outside the executable. A key the build did
// not embed is a packaging bug: getAsset throws, and so does this.
export function seaAsset(key: string): string | undefined {
  return assets?.getAsset(key, 'utf8');
}
