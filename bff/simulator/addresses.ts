/** Believable sample addresses for a ZIP when the caller did not send one. */
import type { Address } from '../shipvox/contract.ts';
import type { Prng } from './prng.ts';
import { regionOfZip } from './zones.ts';

const FIRST = ['Maria', 'James', 'Linda', 'Robert', 'Aisha', 'David', 'Sofia', 'Michael', 'Grace', 'Daniel', 'Emily', 'Carlos', 'Hannah', 'Kevin', 'Priya', 'Thomas'];
const LAST = ['Garcia', 'Johnson', 'Nguyen', 'Miller', 'Okafor', 'Brown', 'Martinez', 'Davis', 'Kim', 'Wilson', 'Lopez', 'Anderson', 'Patel', 'Thompson', 'Rivera', 'Clark'];
const STREETS = ['Main St', 'Oak Ave', 'Maple Dr', 'Cedar Ln', 'Elm St', 'Park Ave', 'Washington St', 'Lake Rd', 'Hillcrest Dr', 'Pine St', 'Sunset Blvd', '2nd Ave', 'Madison Ave', 'River Rd', 'Church St', 'Highland Ave'];

export function sampleAddress(zip: string, prng: Prng): Address {
  const region = regionOfZip(zip);
  return {
    name: `${prng.pick(FIRST)} ${prng.pick(LAST)}`,
    street: `${100 + prng.int(9800)} ${prng.pick(STREETS)}`,
    city: region?.city ?? 'Anytown',
    state: region?.state ?? 'US',
    zip,
  };
}
