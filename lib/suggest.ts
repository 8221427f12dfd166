/** `; did you mean "x"?` for the option nearest to a mistyped name (edit distance 3 at most), else "". */
export function closest(name: string, options: readonly string[]): string {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0] as number;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j] as number;
        row[j] = Math.min(
          current + 1,
          (row[j - 1] as number) + 1,
          previous + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
        previous = current;
      }
    }
    return row[b.length] as number;
  };
  const best = [...options].sort((x, y) => distance(name, x) - distance(name, y))[0];
  return best && distance(name, best) <= 3 ? `; did you mean "${best}"?` : "";
}
