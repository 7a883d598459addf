/** The developer console's English (in its chunk, shipvox-dev-console.js; the packs translate it with the rest). */
export const consoleEn = {
  console: 'Developer console',
  console_frames: 'Frames ({n})',
  console_filter: 'Filter by type',
  console_all: 'All types',
  console_pause: 'Pause',
  console_resume: 'Resume',
  console_close: 'Close developer console',
  console_in: 'received',
  console_out: 'sent',
  console_none: 'No frames yet.',
  console_none_of_type: 'No frames of this type.',
};
