/**
 * Saves a fetched file under a name, from the page itself (an object URL and a temporary link), so that a refusal
 * can be shown in the page instead of a failed download in the browser's bar.
 * @example saveBlob(await response.blob(), 'befund.pdf')
 */
export function saveBlob(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = href;
  anchor.download = filename;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
