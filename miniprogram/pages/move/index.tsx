import { Button, Camera, Image, Input, Text, View } from '@tarojs/components';
import { useMemo, useState } from 'react';
import type { MoveInProgress, MoveOut } from '../../device';
import { t } from '../../i18n';
import { FeatureNote } from '../../ui/feature-note';
import { Frame } from '../../ui/frame';
import { PrivacyPopup } from '../../ui/privacy-popup';
import { timeText } from '../../ui/format';
import { qrDataUrl } from '../../ui/qr';
import { useDevice, useTicker } from '../../ui/store';

/** How long each frame stays on the old phone's screen: time to aim the new phone's scanner. */
const FRAME_MS = 2500;

/**
 * Moving to a new phone (issue 32, docs/protocol.md §17). The old phone: the code and its QR frames
 * cycling, then the new phone's confirmation scanned, which deletes everything here. The new phone:
 * the code typed, each frame read by the camera left open (or scanned one by one), the import (replacing data of its own only when tapped twice),
 * and the confirmation QR for the old phone.
 */
export default function Move() {
  const [v, device] = useDevice();
  const lang = v.lang;
  const now = device.nowS();
  const [mode, setMode] = useState<'out' | 'in' | null>(null);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [out, setOut] = useState<MoveOut | null>(null);
  const [code, setCode] = useState('');
  const [progress, setProgress] = useState<MoveInProgress>(device.moveInProgress());
  const [confirmReplace, setConfirmReplace] = useState(false);
  const [confirmation, setConfirmation] = useState<string | null>(null);
  // the new phone's camera, left open on the old phone's screen (where the host has one: liveScan)
  const [live, setLive] = useState(false);
  const tick = useTicker(FRAME_MS);
  const frame = out ? out.frames[tick % out.frames.length] : null;
  const frameQr = useMemo(() => (frame ? qrDataUrl(frame) : null), [frame]);
  const confirmationQr = useMemo(() => (confirmation ? qrDataUrl(confirmation) : null), [confirmation]);
  const say = (r: { ok: boolean; text: string | null }) => setNote(r.text ? { ok: r.ok, text: r.text } : null);
  // the code as typed starts the session on the first scan; later scans keep it
  const session = (): boolean => {
    if (progress.count > 0) return true;
    const r = device.moveInCode(code);
    if (!r.ok) say(r);
    return r.ok;
  };

  return (
    <Frame device={device} page='move'>
      {/* the scanner waits for WeChat's privacy agreement, once */}
      <PrivacyPopup v={v} device={device} />
      <View className='card'>
        <Text className='muted'>{t(lang, 'moveIntro')}</Text>
        {mode === null && (
          <View className='row'>
            <Button id='move-out' onClick={() => setMode('out')}>
              {t(lang, 'moveTitle')}
            </Button>
            <Button id='move-in' onClick={() => setMode('in')}>
              {t(lang, 'moveInTitle')}
            </Button>
          </View>
        )}
      </View>

      {mode === 'out' && (
        <View className='card' id='move-out-card'>
          <Text className='reason'>{t(lang, 'moveTitle')}</Text>
          {!out ? (
            <Button
              id='move-start'
              type='primary'
              onClick={() => {
                void device.startMoveOut().then((r) => {
                  say(r);
                  if (r.ok) setOut(r.value);
                });
              }}
            >
              {t(lang, 'moveStart')}
            </Button>
          ) : (
            <View>
              <Text id='move-code' className='reason'>
                {t(lang, 'moveCode', { code: out.code })}
              </Text>
              {frameQr && <Image id='move-frame' className='qr' src={frameQr} mode='aspectFit' />}
              <Text id='move-frame-n' className='muted'>
                {t(lang, 'moveFrame', { n: (tick % out.frames.length) + 1, count: out.frames.length })}
              </Text>
              <Text id='move-until' className='muted'>
                {t(lang, 'moveUntil', { time: timeText(lang, out.until, now) })}
              </Text>
              {out.frames.length > 1 && (
                <View>
                  {out.frames.length > 10 && <Text className='muted'>{t(lang, 'moveShareWhy')}</Text>}
                  <Button
                    id='move-share'
                    onClick={() => {
                      void device.shareMoveOut(out.frames).then((r) => say(r.ok ? { ok: true, text: t(lang, 'moveShared') } : r));
                    }}
                  >
                    {t(lang, 'moveShare')}
                  </Button>
                </View>
              )}
              <Button
                id='move-confirm'
                type='primary'
                onClick={() => {
                  void device.confirmMoveOut().then((r) => {
                    say(r);
                    if (r.ok) setOut(null);
                  });
                }}
              >
                {t(lang, 'moveConfirm')}
              </Button>
              <Button
                id='move-cancel'
                onClick={() => {
                  say(device.cancelMoveOut());
                  setOut(null);
                }}
              >
                {t(lang, 'moveCancel')}
              </Button>
            </View>
          )}
        </View>
      )}

      {mode === 'in' && (
        <View className='card' id='move-in-card'>
          <Text className='reason'>{t(lang, 'moveInTitle')}</Text>
          {confirmationQr ? (
            <View>
              <Image id='move-confirmation' className='qr' src={confirmationQr} mode='aspectFit' />
              {!v.consent && (
                <Text id='move-consent-again' className='info'>
                  {t(lang, 'moveInAgain')}
                </Text>
              )}
            </View>
          ) : (
            <View>
              <Text className='muted'>{t(lang, 'moveInIntro')}</Text>
              <Input
                id='move-code-input'
                value={code}
                maxlength={16}
                placeholder={t(lang, 'moveInCodeLabel')}
                aria-label={t(lang, 'moveInCodeLabel')}
                onInput={(e) => setCode(e.detail.value)}
                onConfirm={() => {
                  const r = device.moveInCode(code);
                  say(r);
                  setProgress(device.moveInProgress());
                }}
              />
              {!v.features.liveScan ? (
                <FeatureNote v={v} feature='liveScan' />
              ) : live ? (
                <View id='move-live-card'>
                  <Text className='muted'>{t(lang, 'moveInLiveHint')}</Text>
                  <Camera
                    id='move-camera'
                    className='move-camera'
                    mode='scanCode'
                    devicePosition='back'
                    flash='off'
                    onScanCode={(e) => {
                      void device.moveFrameSeen(e.detail.result).then((r) => {
                        if (!r) return;
                        say(r);
                        const p = device.moveInProgress();
                        setProgress(p);
                        if (p.count > 0 && p.have === p.count) setLive(false);
                      });
                    }}
                    onError={() => {
                      // the user did not allow the camera (camera.html: binderror)
                      setLive(false);
                      setNote({ ok: false, text: t(lang, 'moveInCameraRefused') });
                    }}
                  />
                  <Button id='move-live-stop' onClick={() => setLive(false)}>
                    {t(lang, 'moveInLiveStop')}
                  </Button>
                </View>
              ) : !(progress.count > 0 && progress.have === progress.count) ? (
                <Button id='move-live' type='primary' onClick={() => session() && setLive(true)}>
                  {t(lang, 'moveInLive')}
                </Button>
              ) : null}
              <Button
                id='move-scan'
                onClick={() => {
                  if (!session()) return;
                  void device.scanMoveFrame().then((r) => {
                    say(r);
                    setProgress(device.moveInProgress());
                  });
                }}
              >
                {t(lang, 'moveInScan')}
              </Button>
              <Button
                id='move-pick'
                onClick={() => {
                  if (!session()) return;
                  void device.pickMoveFile().then((r) => {
                    say(r);
                    setProgress(device.moveInProgress());
                  });
                }}
              >
                {t(lang, 'moveInPick')}
              </Button>
              {progress.count > 0 && (
                <Text id='move-progress' className='muted'>
                  {progress.have === progress.count ? t(lang, 'moveInComplete') : t(lang, 'moveInProgress', { ...progress })}
                </Text>
              )}
              {progress.count > 0 && progress.have === progress.count && (
                <Button
                  id='move-import'
                  type={confirmReplace ? 'warn' : 'primary'}
                  onClick={() => {
                    void device.importMove(confirmReplace).then((r) => {
                      say(r);
                      setConfirmReplace(!r.ok && r.code === 'transfer_has_data');
                      if (r.ok) setConfirmation(r.value.confirmation);
                    });
                  }}
                >
                  {t(lang, 'moveInImport')}
                </Button>
              )}
            </View>
          )}
        </View>
      )}

      {note && (
        <Text id='move-note' className={note.ok ? 'info' : 'error'} aria-live='polite'>
          {note.text}
        </Text>
      )}
    </Frame>
  );
}
