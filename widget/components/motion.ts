/** Entrance animations: WAAPI via motion/mini, and none at all under prefers-reduced-motion. */
import { animate } from 'motion/mini';

export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Fades and lifts an element in; returns whether it animated. */
export function enter(element: Element, delaySeconds = 0): boolean {
  if (prefersReducedMotion()) return false;
  animate(element, { opacity: [0, 1], transform: ['translateY(6px)', 'none'] }, { duration: 0.24, delay: delaySeconds, ease: [0.2, 0, 0, 1] });
  return true;
}
