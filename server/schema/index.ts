import { builder } from './builder.js';
import './scalars.js';
import './pagination.js';
import './auth.js';
import './services.js';
import './logs.js';
import './monitors.js';
import './incidents.js';
import './status-pages.js';
import './tickets.js';
import './system.js';

export const schema = builder.toSchema({ sortSchema: true });
