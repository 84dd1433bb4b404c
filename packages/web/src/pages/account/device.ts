/** "Firefox on Linux" from a User-Agent string: enough to recognise one's own devices. */
export function describeDevice(userAgent: string | null, on: string): string | undefined {
  if (userAgent === null || userAgent === '') return undefined;
  const browser =
    [
      ['Edg/', 'Edge'],
      ['Firefox/', 'Firefox'],
      ['Chrome/', 'Chrome'],
      ['Chromium/', 'Chromium'],
      ['Safari/', 'Safari'],
    ].find(([token]) => userAgent.includes(token!))?.[1] ?? undefined;
  const system =
    [
      ['iPhone', 'iPhone'],
      ['iPad', 'iPad'],
      ['Android', 'Android'],
      ['Windows', 'Windows'],
      ['Mac OS X', 'macOS'],
      ['Linux', 'Linux'],
    ].find(([token]) => userAgent.includes(token!))?.[1] ?? undefined;
  if (browser === undefined && system === undefined) return userAgent.slice(0, 60);
  return [browser, system].filter(Boolean).join(` ${on} `);
}
