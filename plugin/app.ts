import { PropsWithChildren } from 'react';

/** The host mini-program: any app (a city's services, an employer's) that embeds the health-code plug-in. */
function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
