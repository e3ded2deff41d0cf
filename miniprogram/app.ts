import './polyfills';
import { PropsWithChildren, useEffect } from 'react';
import { getDevice } from './ui/store';
import './app.css';

/**
 * The app: starts the one device. The device keeps its own schedule on the host's timers and
 * lifecycle (ticks, tracing paused in the background, syncs when due), so nothing here needs timers.
 */
function App({ children }: PropsWithChildren) {
  useEffect(() => {
    void getDevice().start();
  }, []);
  return children;
}

export default App;
