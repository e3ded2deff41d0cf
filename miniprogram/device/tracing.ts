/**
 * Consent and tracing as the user switches them (§4): tracing needs consent; a host problem that
 * stops it becomes a Problem with its remedy (a settings page, or the privacy agreement); the
 * privacy prompt a privacy-scoped API raised waits for the user's answer here. Background tracing
 * is a setting of its own, kept across launches; what refuses it is a Problem of its own (the view's
 * `background.problem`), since its remedy differs from Bluetooth's.
 */
import { asHostError } from '../host/errors';
import type { PrivacyAnswer } from '../host/types';
import type { DeviceCore } from './core';
import { done, refused, type Outcome } from './outcome';

export class TracingActions {
  private privacyAnswer: ((a: PrivacyAnswer) => void) | null = null;

  constructor(private readonly core: DeviceCore) {
    core.tracing.onChange = () => core.emit({ bluetoothError: core.problem(core.tracing.lastError) });
    core.host.privacy.onNeedAuthorization((answer) => {
      this.privacyAnswer = answer;
      core.emit({ privacyPrompt: true });
    });
  }

  async setConsent(on: boolean): Promise<void> {
    const { storage } = this.core;
    if (on) storage.setJson('consent', { at: this.core.nowS() });
    else {
      storage.remove('consent');
      await this.stop();
    }
    this.core.emit({ consent: on, message: null });
  }

  /** Starts tracing (consent first); a host problem is kept in the view as `bluetoothError`. */
  async start(): Promise<Outcome> {
    const core = this.core;
    if (!core.view.consent) {
      const text = core.text('needConsent');
      core.emit({ message: { kind: 'info', text } });
      return refused('no_consent', text);
    }
    core.storage.setJson('tracing', { on: true });
    try {
      await core.tracing.start();
      core.emit({ bluetoothError: null, message: null });
      return done(null);
    } catch (e) {
      const problem = core.problem(asHostError(e))!;
      core.emit({ bluetoothError: problem });
      return refused(problem.code, problem.text);
    }
  }

  async stop(): Promise<void> {
    this.core.storage.remove('tracing');
    await this.core.tracing.stop();
    this.core.emit({ bluetoothError: null });
  }

  /** The user taps the action of a Bluetooth problem: opens the settings page, or asks for the privacy agreement. */
  async fix(): Promise<void> {
    const remedy = this.core.view.bluetoothError?.remedy;
    if (!remedy) return;
    try {
      if (remedy.kind === 'settings') await this.core.host.openSettings(remedy.page);
      else {
        await this.core.host.privacy.require();
        await this.start();
      }
    } catch (e) {
      this.core.emit({ bluetoothError: this.core.problem(asHostError(e)) });
    }
  }

  /**
   * The user switches background tracing (Settings). Where the host cannot, nothing changes and the
   * sentence says why; otherwise the setting is kept and the host's capability starts with tracing.
   */
  async setBackground(on: boolean): Promise<Outcome> {
    const core = this.core;
    const why = core.host.capabilities.background;
    if (on && why.via === null) return refused('unsupported', core.text(`bgWhy_${why.why}`));
    if (on) core.storage.setJson('background', { on: true });
    else core.storage.remove('background');
    await core.tracing.setBackground(on);
    core.emit();
    const problem = core.view.background.problem;
    return problem ? refused(problem.code, problem.text) : done(null);
  }

  /** The user taps the action of a background problem: the settings page (then it is tried again), or the privacy agreement. */
  async fixBackground(): Promise<void> {
    const core = this.core;
    const remedy = core.view.background.problem?.remedy;
    if (!remedy) return;
    try {
      if (remedy.kind === 'settings') await core.host.openSettings(remedy.page);
      else await core.host.privacy.require();
    } catch {
      // the settings page or the prompt did not open: the problem stays as it is
    }
    await core.tracing.setBackground(core.tracing.wantsBackground);
    core.emit();
  }

  /** The user answered the privacy prompt (the agree button is `<Button openType='agreePrivacyAuthorization' id={buttonId}>`). */
  answerPrivacy(agreed: boolean, buttonId = 'agree-btn'): void {
    const answer = this.privacyAnswer;
    this.privacyAnswer = null;
    this.core.emit({ privacyPrompt: false });
    answer?.(agreed ? { agreed: true, buttonId } : { agreed: false });
  }

  openPrivacyContract(): Promise<void> {
    return this.core.host.privacy.openContract().catch(() => undefined);
  }
}
