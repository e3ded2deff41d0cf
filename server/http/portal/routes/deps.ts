import type { Services } from '../../../domains';
import type { SessionGuards } from '../guard';

/** What a portal route file is given: the server's services and the session guards over them. */
export interface RouteDeps {
  services: Services;
  guards: SessionGuards;
}
