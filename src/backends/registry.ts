import type { BackendModule } from './backendModule';
import { dmsModule } from './dms/dmsModule';
import { huaweiModule } from './huawei/huaweiModule';
import { localModule } from './local/localModule';
import { zstackModule } from './zstack/zstackModule';

/** Every backend, one line each; the Local workflow first, as the default. */
export const backendModules: readonly BackendModule[] = [localModule, dmsModule, huaweiModule, zstackModule];

export const backendIds = backendModules.map((module) => module.id);

/** The module of a backend id; undefined for an id no module has. */
export function backendModule(id: string): BackendModule | undefined {
  return backendModules.find((module) => module.id === id);
}
