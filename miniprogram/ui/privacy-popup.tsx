/**
 * WeChat's privacy flow (PrivacyAuthorize.html): when a privacy-scoped API (Bluetooth, the camera's
 * scanner) waits for the user's agreement, this explains what the mini-program uses and why, links
 * to the privacy guide (wx.openPrivacyContract) and offers WeChat's agree button — the
 * `<button open-type="agreePrivacyAuthorization">` whose tap WeChat checks before the call goes on.
 * Shown on every page that can start such an API.
 */
import { Button, Text, View } from '@tarojs/components';
import type { Device, DeviceView } from '../device';
import { t } from '../i18n';

export const PRIVACY_AGREE_BUTTON = 'agree-btn';

export function PrivacyPopup({ v, device }: { v: DeviceView; device: Device }) {
  if (!v.privacyPrompt) return null;
  const lang = v.lang;
  return (
    <View className='popup' id='privacy-popup' aria-role='dialog' aria-label={t(lang, 'privacyTitle2')}>
      <View className='card'>
        <Text className='reason'>{t(lang, 'privacyTitle2')}</Text>
        <Text className='muted'>{t(lang, 'privacyExplain')}</Text>
        <Text id='privacy-contract' className='link' onClick={() => void device.openPrivacyContract()}>
          {t(lang, 'privacyRead')}
        </Text>
        <Button
          id={PRIVACY_AGREE_BUTTON}
          className='primary'
          openType='agreePrivacyAuthorization'
          onAgreePrivacyAuthorization={() => device.answerPrivacy(true, PRIVACY_AGREE_BUTTON)}
        >
          {t(lang, 'privacyAgree')}
        </Button>
        <Button id='privacy-decline' onClick={() => device.answerPrivacy(false)}>
          {t(lang, 'privacyDecline')}
        </Button>
      </View>
    </View>
  );
}

/** A Bluetooth problem with the one thing to do about it. */
export function ProblemCard({ v, device }: { v: DeviceView; device: Device }) {
  const p = v.bluetoothError;
  if (!p) return null;
  return (
    <View id='bt-problem'>
      <Text id='bt-error' className='error'>
        {p.text}
      </Text>
      {p.action && (
        <Button id='bt-fix' size='mini' onClick={() => void device.fix()}>
          {p.action}
        </Button>
      )}
    </View>
  );
}
