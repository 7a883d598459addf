/** The widget's version: sent in hello and compared by define() when a page loads two copies. */
export const VERSION = '0.1.0';
