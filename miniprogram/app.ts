import './polyfills';
import { PropsWithChildren, useEffect } from 'react';
import { useDidHide, useDidShow } from './ui/lifecycle';
import { getDevice } from './ui/store';
import './app.css';

/** How often the device does its periodic work while the mini-program is open. */
const TICK_MS = 15_000;

function App({ children }: PropsWithChildren) {
  useEffect(() => {
    const device = getDevice();
    void device.start();
    const timer = setInterval(() => {
      void device.tick();
    }, TICK_MS);
    return () => clearInterval(timer);
  }, []);
  // JavaScript runs only in the foreground: persist sightings when the user leaves.
  useDidHide(() => {
    void getDevice().tick();
  });
  useDidShow(() => {
    void getDevice().tick();
  });
  return children;
}

export default App;
