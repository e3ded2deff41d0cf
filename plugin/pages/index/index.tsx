import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';

interface PrtcPlugin {
  getStatus(): { status: 'green' | 'yellow' | 'red'; reasons: number; acceptedUntil: number | null; ready: boolean };
}

declare const requirePlugin: (name: string) => PrtcPlugin;

/** The host mini-program's page: reads the plug-in's status through its JS interface and opens its health-code page. */
export default function HostHome() {
  const [status, setStatus] = useState<ReturnType<PrtcPlugin['getStatus']> | null>(null);
  useDidShow(() => setStatus(requirePlugin('prtc').getStatus()));
  return (
    <View>
      <Text id='host-status'>{status ? `健康码：${status.status}` : '健康码：…'}</Text>
      <Button id='open-health-code' onClick={() => void Taro.navigateTo({ url: 'plugin://prtc/health-code' })}>
        出示健康码
      </Button>
    </View>
  );
}
