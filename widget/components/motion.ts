/**
 * Entrance animations: WAAPI via motion/mini, loaded as a chunk of its own (shipvox-motion.js) when
 * the script runs, and none at all under prefers-reduced-motion or before the chunk has arrived
 * (the first cards appear only after a voice turn, long after).
 */
import { loadChunk } from '../chunks.ts';

type Animate = typeof import('motion/mini').animate;
let animate: Animate | null = null;

/** Settles once motion is loaded (or failed to: then nothing animates). */
export const motionReady: Promise<void> = loadChunk('shipvox-motion.js', () => import('../lazy/motion.ts')).then(
  (m) => void (animate = m.animate),
  () => undefined,
);

export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Fades and lifts an element in; returns whether it animated. */
export function enter(element: Element, delaySeconds = 0): boolean {
  if (!animate || prefersReducedMotion()) return false;
  animate(element, { opacity: [0, 1], transform: ['translateY(6px)', 'none'] }, { duration: 0.24, delay: delaySeconds, ease: [0.2, 0, 0, 1] });
  return true;
}
