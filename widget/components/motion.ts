/**
 * Entrance animations: the browser's Web Animations API (Element.animate, what motion/mini drove
 * for us, without its ~3 KB gzip in the script-tag budget), and none at all under
 * prefers-reduced-motion.
 */
export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Fades and lifts an element in; returns whether it animated. */
export function enter(element: Element, delaySeconds = 0): boolean {
  if (prefersReducedMotion() || typeof element.animate !== 'function') return false;
  // fill: backwards holds the first frame during a stagger delay; afterwards the element's own styles apply.
  element.animate(
    { opacity: [0, 1], transform: ['translateY(6px)', 'none'] },
    { duration: 240, delay: delaySeconds * 1000, easing: 'cubic-bezier(0.2, 0, 0, 1)', fill: 'backwards' },
  );
  return true;
}
