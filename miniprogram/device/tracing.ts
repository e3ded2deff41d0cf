/**
 * Consent and tracing as the user switches them (§4): tracing needs consent; a host problem that
 * stops it becomes a Problem with its remedy (a settings page, or the privacy agreement); the
 * privacy prompt a privacy-scoped API raised waits for the user's answer here.
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
