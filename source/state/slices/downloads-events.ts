// Events of the downloads slice (issue 5: large wheel / layer downloads per platform).
// Placeholder union until that slice lands; it keeps events.ts compiling.
export type DownloadEvent = {type: 'download/placeholder'; at: number};
