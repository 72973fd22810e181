// The SharedWorker every tab of this origin shares: one stream hub, one event stream.
import { createStreamHub } from './hub';
import type { HubMessage, TabMessage } from './protocol';

const hub = createStreamHub();

// typed loosely: this file is compiled with the DOM library, not the worker one
(self as unknown as { onconnect: (event: MessageEvent) => void }).onconnect = (event) => {
  const port = event.ports[0]!;
  const hubPort = { post: (message: HubMessage) => port.postMessage(message) };
  port.onmessage = (message: MessageEvent<TabMessage>) => hub.receive(hubPort, message.data);
  port.start();
};
