// Name resolution over the devices' own cluster table.

import t from 'tap';
import { attributeName, clusterName, resolveAttribute, resolveCluster } from '../../../scripts/virtual-coordinator/devices/names.js';

t.test('clusters by name, number or numeric string', async (t) => {
  t.equal(resolveCluster('genOnOff'), 0x0006);
  t.equal(resolveCluster('msTemperatureMeasurement'), 0x0402);
  t.equal(resolveCluster('lightingColorCtrl'), 0x0300);
  t.equal(resolveCluster(0x0b04), 0x0b04);
  t.equal(resolveCluster('0x0405'), 0x0405);
  t.equal(resolveCluster('1029'), 0x0405);
  t.equal(clusterName(0x000c), 'genAnalogInput');
  t.throws(() => resolveCluster('genonoff'), { message: 'unknown cluster name "genonoff" (did you mean genOnOff?)' });
  t.throws(() => resolveCluster('colour'), { message: /unknown cluster name "colour"; use a known name such as genOnOff/ });
  t.throws(() => resolveCluster(0x10000), { message: /not a 16-bit id/ });
  t.throws(() => resolveCluster(-1), { message: /not a 16-bit id/ });
});

t.test('attributes by name within their cluster', async (t) => {
  t.equal(resolveAttribute(0x0000, 'modelId'), 0x0005);
  t.equal(resolveAttribute(0x0000, 'swBuildId'), 0x4000);
  t.equal(resolveAttribute(0x0300, 'colorTempPhysicalMax'), 0x400c);
  t.equal(resolveAttribute(0x0012, 'presentValue'), 0x0055);
  t.equal(resolveAttribute(0x0006, 0xf000), 0xf000, 'numeric ids pass through even when unknown');
  t.equal(resolveAttribute(0x0006, '0x4003'), 0x4003);
  t.equal(attributeName(0x0403, 0x0014), 'scale');
  t.throws(() => resolveAttribute(0x0006, 'level'), { message: /unknown attribute "level" in cluster genOnOff \(known: onOff, globalSceneCtrl/ });
  t.throws(() => resolveAttribute(0x9999, 'x'), { message: 'unknown attribute "x" in cluster 0x9999 (no attribute names known for it; use a numeric id)' });
});
