/** Hours and minutes of a timestamp in the UI language, like a phone shows under a bubble. */
export function formatTime(at: number, language: string): string {
  return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' }).format(new Date(at));
}
