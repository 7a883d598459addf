/**
 * The label panel's actions: Download and Print in the format the shopper chose (the files come
 * with the shipvox-label-files.js chunk, loaded on first use; an expired signed link is replaced by
 * a fresh one first), and Email. Holds what the panel shows of them: the email's status and a message.
 */
import type { ReactiveControllerHost } from 'lit';
import { DEFAULT_LABEL_FORMAT } from '../../shared/label-formats.ts';
import type { SessionState } from '../../shared/session.ts';
import type { Label } from '../../shared/tools.ts';
import { loadChunk } from '../chunks.ts';
import type { LabelFormatDetail } from '../components/label-options.ts';
import type { EmailStatus, LabelEmailDetail } from '../components/label-panel.ts';
import { fill, type Strings } from '../i18n/strings.ts';
import { linkExpired } from '../label-files.ts';
import type { SessionController } from '../session/session-controller.ts';

export interface LabelActionsHost extends ReactiveControllerHost {
  readonly endpoint: string;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export class LabelActions {
  emailStatus: EmailStatus = 'idle';
  /** A problem with a file or the email, or where the print went: shown in the panel. */
  message: string | null = null;
  /** The file Download and Print use (the label options remember the shopper's choice). */
  format: LabelFormatDetail = { format: DEFAULT_LABEL_FORMAT, print: DEFAULT_LABEL_FORMAT };
  /** Fresh signed links by label id (label_created's link expires). */
  private readonly freshLinks = new Map<string, string>();

  constructor(
    private readonly host: LabelActionsHost,
    private readonly session: SessionController,
    private readonly words: () => Strings,
    /** Tells Bob and the session log what the shopper did. */
    private readonly tell: (message: string) => void,
  ) {}

  /** An email another screen (or Bob) sent counts as sent here too. */
  stateChanged(next: SessionState, previous: SessionState): void {
    if (next.emails.length > previous.emails.length && previous.session_id === next.session_id) this.emailStatus = 'sent';
  }

  async email(detail: LabelEmailDetail): Promise<void> {
    this.show(null, 'sending');
    try {
      await this.session.emailLabel(detail.label_id, detail.to);
      this.tell('The shopper emailed the label.'); // no address: Bob's context is not the place for it
      this.show(this.message, 'sent');
    } catch (error) {
      this.show(fill(this.words().email_failed, { error: (error as Error).message }), 'error');
    }
  }

  async download(label: Label | null): Promise<void> {
    if (!label) return;
    this.show(null);
    try {
      const files = await this.files();
      files.startDownload(files.withFormat(await this.signedLink(label), this.format.format), this.host.renderRoot);
    } catch (error) {
      this.show(fill(this.words().link_failed, { error: (error as Error).message }));
    }
  }

  async print(label: Label | null): Promise<void> {
    if (!label) return;
    this.show(null);
    try {
      const files = await this.files();
      const outcome = await files.printPdf(files.withFormat(await this.signedLink(label), this.format.print), this.host.renderRoot);
      if (outcome === 'opened') this.show(this.words().print_opened);
    } catch (error) {
      this.show(fill(this.words().print_failed, { error: (error as Error).message }));
    }
  }

  private show(message: string | null, emailStatus = this.emailStatus): void {
    this.message = message;
    this.emailStatus = emailStatus;
    this.host.requestUpdate();
  }

  private files() {
    return loadChunk('shipvox-label-files.js', () => import('../label-files.ts'), this.host.endpoint);
  }

  /** The label's signed link, replaced by a fresh one when it has expired. */
  private async signedLink(label: Label): Promise<string> {
    const known = this.freshLinks.get(label.label_id) ?? label.pdf_url;
    if (!linkExpired(known, this.session.now())) return known;
    const fresh = await this.session.requestLabelLink(label.label_id);
    this.freshLinks.set(label.label_id, fresh);
    return fresh;
  }
}
