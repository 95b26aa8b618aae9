/**
 * One CSV cell as the project's files write it (RFC 4180): quoted when it holds a comma, a quote or
 * a line break, a quote doubled inside; otherwise as it is. The payroll's payment file, the refund
 * file and the generator's collection files share it, so their quoting cannot drift apart.
 */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
