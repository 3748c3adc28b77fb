// Code-point order for sorting names (hosts, interfaces, categories): stable
// across machines and locales, and, unlike localeCompare, no ICU to load.
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
