/**
 * The developer console's keyboard shortcut: Ctrl+Shift+D or Alt+D toggles it, Escape closes it
 * (the focus goes back to the title). The shortcut is the widget's only while the focus is inside it
 * (the host page's own fields keep Alt+D, the browser's address bar), or anywhere with `dev-shortcut="page"`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface ConsoleHost extends ReactiveControllerHost, HTMLElement {
  devConsole: boolean;
  readonly devShortcut: 'page' | undefined;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export class ConsoleShortcut implements ReactiveController {
  constructor(private readonly host: ConsoleHost) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('keydown', this.onKeydown);
  }

  hostDisconnected(): void {
    window.removeEventListener('keydown', this.onKeydown);
  }

  private readonly onKeydown = (event: KeyboardEvent): void => {
    const host = this.host;
    const inside = event.composedPath().includes(host);
    if (event.key === 'Escape' && host.devConsole && inside) {
      host.devConsole = false;
      host.updateComplete.then(() => host.renderRoot.querySelector('h2')?.focus());
      return;
    }
    if (event.code !== 'KeyD' || !(inside || host.devShortcut === 'page')) return;
    const ctrlShift = event.ctrlKey && event.shiftKey && !event.altKey;
    const alt = event.altKey && !event.ctrlKey && !event.metaKey;
    if (!ctrlShift && !alt) return;
    event.preventDefault();
    host.devConsole = !host.devConsole;
  };
}
