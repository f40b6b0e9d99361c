// Tokyo wall-clock times for tests on a moved clock.

/** `"2024-04-08 10:00"` (or with seconds, `"… 10:00:30"`) in Asia/Tokyo (+09:00, no DST) as a Date. */
export const jst = (wall: string): Date =>
  new Date(`${wall.replace(' ', 'T')}${wall.length === 16 ? ':00' : ''}+09:00`);
