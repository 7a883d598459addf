/** The shipvox-motion.js chunk (see widget/chunks.ts): motion's WAAPI animate, out of the script-tag bundle. */
export { animate } from 'motion/mini';
