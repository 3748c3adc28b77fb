// A template tag for shell text: backslashes stay as written (awk's \t,
// printf's \n), like String.raw; and since a template cannot hold a literal
// "${", shell parameter expansions are written "$\{VAR:-x}" and come out as
// "${VAR:-x}". Interpolations (${value}) work as usual.
export function sh(strings: TemplateStringsArray, ...values: unknown[]): string {
  return String.raw({ raw: strings.raw }, ...values).replaceAll('$\\{', '${');
}
