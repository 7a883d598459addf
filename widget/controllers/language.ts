/**
 * The words the widget shows: English, then the language pack of the language asked for (`locale`,
 * else the nearest `lang`; `es` and `fr` load their chunk), then the host's own `strings`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { emit } from '../events.ts';
import { en, loadPack, packFor, type AllStrings, type ConsoleStrings, type ShipmentStrings, type Strings, type TalkStrings } from '../i18n/strings.ts';

export interface LanguageHost extends ReactiveControllerHost, HTMLElement {
  readonly endpoint: string;
  readonly locale: string | undefined;
  readonly strings: Partial<AllStrings> | undefined;
}

type Words = Strings & Partial<ConsoleStrings & TalkStrings & ShipmentStrings>;

export class LanguageController implements ReactiveController {
  /** The loaded language pack, if the widget's language has one. */
  private pack: { language: string; strings: AllStrings } | null = null;
  /** The locale the pack was last chosen for (the page's lang is read then too). */
  private chosenFor: { locale: string | undefined } | null = null;
  private merged: { pack: LanguageController['pack']; strings: Partial<AllStrings> | undefined; words: Words } | null = null;

  constructor(private readonly host: LanguageHost) {
    host.addController(this);
  }

  hostUpdate(): void {
    if (this.chosenFor && this.chosenFor.locale === this.host.locale) return;
    this.chosenFor = { locale: this.host.locale };
    this.choosePack();
  }

  /** What every part shows (the same object until the pack or the host's strings change). */
  get words(): Words {
    const { pack } = this;
    const { strings } = this.host;
    if (this.merged?.pack !== pack || this.merged.strings !== strings) this.merged = { pack, strings, words: { ...en, ...pack?.strings, ...strings } };
    return this.merged.words;
  }

  /** The language of the words shown: the pack's, the one the host supplied words for, or English. */
  get lang(): string {
    return this.pack?.language ?? (this.host.strings ? this.requested : 'en');
  }

  /** The language asked for: the locale attribute, else the nearest lang (the element's, the page's). */
  private get requested(): string {
    return this.host.locale || this.host.closest('[lang]')?.getAttribute('lang') || 'en';
  }

  private choosePack(): void {
    const language = packFor(this.requested);
    if (language === (this.pack?.language ?? null)) return;
    if (!language) {
      this.pack = null;
      return;
    }
    loadPack(language, this.host.endpoint).then(
      (strings) => {
        if (packFor(this.requested) !== language) return;
        this.pack = { language, strings };
        this.host.requestUpdate();
      },
      // Stays in English; the page hears why.
      (error: Error) => emit(this.host, 'shipvox-error', { code: 'language_pack_failed', message: `The ${language} language pack did not load: ${error.message}`, fatal: false }),
    );
  }
}
