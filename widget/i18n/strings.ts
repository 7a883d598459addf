/**
 * The widget's words. English ships in the script-tag bundle; other languages are packs loaded
 * when the widget's language asks for them (shipvox-lang-<code>.js, see widget/chunks.ts). A host
 * page may override any string (the `strings` attribute or property takes a partial table).
 * `{name}` marks a value filled in by fill().
 */
import { loadChunk } from '../chunks.ts';
import type { consoleEn } from './console.ts';
import type { talkEn } from './talk.ts';
import type { shipmentEn } from './shipment.ts';

export const en = {
  title: 'Shipping assistant',
  minimise: 'Minimise',
  status_idle: 'Not connected',
  status_connecting: 'Connecting',
  status_online: 'Live',
  status_offline: 'Offline',
  status_stopped: 'Disconnected',
  hint: 'Tell Bob where your parcel is going and what it weighs — your shipping options will appear here.',
  bob: 'Bob:',
  progress: 'Progress',
  step_zip: 'ZIP codes',
  step_weight: 'Weight',
  step_quote: 'Choose a rate',
  step_label: 'Label',
  step_done: 'Done',
  stage_label: 'Label ready',
  stage_in_transit: 'In transit',
  stage_delivered: 'Delivered',
  stage_voided: 'Voided',
  step_is_done: ', done',
  step_is_current: ', current',
  step_is_todo: ', to do',
  heard: 'From {from} to {to} · {weight} {unit}',
  heard_service: 'Chosen: option {n}, {carrier} {service}',
  missing_carrier: '{carrier} did not answer in time: its prices are missing.',
  getting_quotes: 'Getting quotes…',
  slow_carrier: '{carrier} is taking longer than usual…',
  updated_available: 'Updated prices available',
  updated_showing: 'Showing updated prices',
  updated_show: 'Show updated prices',
  updated_back: 'Back to your choice',
  options: 'Shipping options',
  options_updated: 'Updated shipping options',
  option: 'Option {n}',
  quote_name: 'Option {n}: {carrier} {service}',
  tag_cheapest: 'Cheapest',
  tag_fastest: 'Fastest',
  tag_best_value: 'Best value',
  arrives: 'Arrives {date}',
  guaranteed: ' · guaranteed',
  days_one: '1 business day',
  days: '{n} business days',
  select: 'Select',
  selected: 'Selected ✓',
  selecting: 'Selecting…',
  select_name: 'Select option {n}, {price}',
  selected_name: 'Selected option {n}, {price}',
  selecting_name: 'Selecting option {n}, {price}',
  label_ready: 'Label ready',
  tracking_name: 'Tracking number {number}: {spelled} (track package, opens in a new tab)',
  scan_qr: 'Scan the QR code at drop-off if you have no printer.',
  qr_name: 'QR code for tracking number {spelled}',
  download: 'Download label',
  print: 'Print',
  preview: 'Preview label',
  preview_name: 'Label PDF preview',
  preview_blocked: 'This page does not allow an embedded preview. Use Download or Print.',
  preview_unsupported: 'Your browser cannot show the PDF here. Use Download or Print.',
  email_label: 'Email the label',
  send: 'Send',
  sending: 'Sending…',
  email_invalid: 'Enter a valid email address, like name@example.com.',
  sent_to: 'Sent to {to}',
  offline: 'Offline — your choices will be sent when we reconnect',
  waiting: ' ({n} waiting)',
  not_resumed: 'We could not resume your previous session, so a new one was started: tell Bob your choice again.',
  choice_dropped: 'Option {n} ({carrier} {service}) was not sent.',
  tell_bob: 'Tell Bob the new session',
  told_bob: 'Bob knows the new session now.',
  dismiss: 'Dismiss',
  resumed: 'Reconnected to voice session',
  connecting: 'Connecting…',
  try_again: 'Try again',
  ready_one: '1 shipping option ready. Option {n}: {carrier} {service}, {price}.',
  ready: '{count} shipping options ready. Option {n}: {carrier} {service}, {price}.',
  none_found: 'No shipping options were found.',
  prices_updated: 'Updated prices available.',
  selected_say: 'Option {n} selected: {carrier} {service}.',
  label_created: 'Label created. Tracking number {spelled}.',
  sent_say: 'Label sent to {to}.',
  email_failed: 'The email could not be sent: {error}',
  link_failed: 'The download link could not be refreshed: {error}',
  print_opened: 'The label opened in a new tab — print it from there.',
  print_failed: 'The label could not be printed: {error}',
  qr_unavailable: 'QR code unavailable',
  voice_idle: 'Talk to Bob',
  voice_connecting: 'Connecting to Bob',
  voice_listening: 'Bob is listening',
  voice_speaking: 'Bob is speaking',
  voice_error: 'Voice failed',
  voice_end: 'End call',
  problem_missing_key: 'Set a publishable-key or session-token attribute to connect.',
  problem_resume_refused: 'This session could not be resumed.',
  problem_origin: 'This page is not allowed to use the shipping assistant.',
  problem_key: 'The shipping assistant key was not accepted.',
  problem_refused: 'The assistant refused the connection repeatedly.',
  problem_ended: 'This shipping session has ended.',
};

export type Strings = Record<keyof typeof en, string>;
export type StringKey = keyof Strings;
/** The developer console's words (their English ships in its chunk, widget/i18n/console.ts). */
export type ConsoleStrings = Record<keyof typeof consoleEn, string>;
/** The conversation panel's words (their English ships in its chunk, widget/i18n/talk.ts). */
export type TalkStrings = Record<keyof typeof talkEn, string>;
/** The shipment chunk's words (their English ships in its chunk, widget/i18n/shipment.ts). */
export type ShipmentStrings = Record<keyof typeof shipmentEn, string>;
/** What a language pack holds, and what a host may override. */
export type AllStrings = Strings & ConsoleStrings & TalkStrings & ShipmentStrings;

/** Replaces each `{name}` with its value. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Languages with a pack. */
const PACK_LANGUAGES = ['es', 'fr'];

/** The pack for a BCP 47 tag's language ('es-MX' → es), or null for English and languages without one. */
export function packFor(tag: string): string | null {
  const language = tag.split('-')[0]!.toLowerCase();
  return PACK_LANGUAGES.includes(language) ? language : null;
}

/** Each import() is written out as loadChunk's argument: the script-tag build then leaves the packs out of the bundle. */
export async function loadPack(language: string, endpoint: string): Promise<AllStrings> {
  const pack =
    language === 'es'
      ? loadChunk('shipvox-lang-es.js', () => import('./es.ts'), endpoint)
      : loadChunk('shipvox-lang-fr.js', () => import('./fr.ts'), endpoint);
  return (await pack).default;
}
