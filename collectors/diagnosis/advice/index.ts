import type { DropClass } from '../classes.js';
import type { AdviceFor } from '../context.js';
import { backlogAdvice } from './backlog.js';
import { cloudAdvice } from './cloud.js';
import { otherAdvice } from './other.js';
import { qdiscAdvice } from './qdisc.js';
import { ringAdvice } from './ring.js';
import { socketAdvice } from './socket.js';
import { squeezeAdvice } from './squeeze.js';
import { txqAdvice } from './txq.js';

// One explanation and mitigation writer per class.
export const ADVICE: Record<DropClass, AdviceFor> = {
  RING: ringAdvice,
  BACKLOG: backlogAdvice,
  SQUEEZE: squeezeAdvice,
  SOCKET: socketAdvice,
  CLOUD: cloudAdvice,
  TXQ: txqAdvice,
  QDISC: qdiscAdvice,
  OTHER: otherAdvice,
};
