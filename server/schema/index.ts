import { builder } from './builder.js';
import './scalars.js';
import './auth.js';
import './system.js';

export const schema = builder.toSchema({ sortSchema: true });
