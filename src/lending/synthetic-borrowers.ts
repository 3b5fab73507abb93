import type { Random } from '../shared/random.ts';
import type { Borrower, Jurisdiction } from './borrower.ts';

const CHINESE_FAMILY_NAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭'];
const CHINESE_GIVEN_NAMES = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '华', '慧'];
const ENGLISH_GIVEN_NAMES = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'Oliver', 'Amelia', 'Harry', 'Isla'];
const ENGLISH_FAMILY_NAMES = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Taylor', 'Wilson', 'Evans', 'Thomas'];
const US_PLACES: Array<[string, string, string]> = [
  ['Chicago', 'IL', 'America/Chicago'], ['Houston', 'TX', 'America/Chicago'], ['New York', 'NY', 'America/New_York'],
  ['Atlanta', 'GA', 'America/New_York'], ['Denver', 'CO', 'America/Denver'], ['Phoenix', 'AZ', 'America/Phoenix'],
  ['Los Angeles', 'CA', 'America/Los_Angeles'], ['Anchorage', 'AK', 'America/Anchorage'], ['Honolulu', 'HI', 'Pacific/Honolulu'],
];
const CN_CITIES = ['北京', '上海', '广州', '深圳', '杭州', '成都', '武汉', '西安', '南京', '重庆'];
const UK_CITIES = ['London', 'Manchester', 'Birmingham', 'Leeds', 'Glasgow', 'Bristol'];

function digits(random: Random, count: number): string {
  let text = '';
  for (let index = 0; index < count; index++) text += String(random.integerBetween(0, 9));
  return text;
}

/**
 * A plausible, entirely fictitious borrower for demos and simulations, drawn from a seeded random
 * source so a book is reproducible.
 *
 * @example syntheticBorrower(createRandom(7), 'CN').fullName // "王芳"
 */
export function syntheticBorrower(random: Random, jurisdiction: Jurisdiction): Borrower {
  if (jurisdiction === 'CN') {
    const city = random.pick(CN_CITIES);
    return {
      fullName: random.pick(CHINESE_FAMILY_NAMES) + random.pick(CHINESE_GIVEN_NAMES),
      nationalId: `${digits(random, 6)}19${random.integerBetween(60, 99)}${String(random.integerBetween(1, 12)).padStart(2, '0')}${String(random.integerBetween(1, 28)).padStart(2, '0')}${digits(random, 4)}`,
      dateOfBirth: null,
      phones: [{ number: `+861${random.pick(['3', '5', '8'])}${digits(random, 9)}`, kind: 'mobile' }],
      emails: [],
      addresses: [{ line1: `${city}市${random.pick(['中山路', '人民路', '解放路', '建设路'])}${random.integerBetween(1, 300)}号`, line2: null, city, region: null, postalCode: null, country: 'CN', timeZone: 'Asia/Shanghai' }],
      timeZone: 'Asia/Shanghai',
      language: 'zh-CN',
      jurisdiction,
      preferredChannels: ['sms', 'call'],
    };
  }
  const given = random.pick(ENGLISH_GIVEN_NAMES);
  const family = random.pick(ENGLISH_FAMILY_NAMES);
  const email = `${given}.${family}${random.integerBetween(1, 999)}@example.com`.toLowerCase();
  if (jurisdiction === 'UK') {
    const city = random.pick(UK_CITIES);
    return {
      fullName: `${given} ${family}`, nationalId: null, dateOfBirth: null,
      phones: [{ number: `+447${digits(random, 9)}`, kind: 'mobile' }], emails: [{ address: email, kind: 'personal' }],
      addresses: [{ line1: `${random.integerBetween(1, 200)} High Street`, line2: null, city, region: null, postalCode: null, country: 'GB', timeZone: 'Europe/London' }],
      timeZone: 'Europe/London', language: 'en', jurisdiction, preferredChannels: ['email', 'sms'],
    };
  }
  const [city, state, timeZone] = random.pick(US_PLACES);
  // Some US borrowers have no known time zone: the contact gate then checks every US zone.
  const knownZone = random.chance(0.9);
  return {
    fullName: `${given} ${family}`, nationalId: `${digits(random, 3)}-${digits(random, 2)}-${digits(random, 4)}`, dateOfBirth: null,
    phones: [{ number: `+1${random.integerBetween(201, 989)}555${digits(random, 4)}`, kind: 'mobile' }], emails: [{ address: email, kind: 'personal' }],
    addresses: [{ line1: `${random.integerBetween(1, 9999)} Main St`, line2: null, city, region: state, postalCode: digits(random, 5), country: 'US', timeZone: knownZone ? timeZone : null }],
    timeZone: knownZone ? timeZone : null, language: 'en', jurisdiction, preferredChannels: ['sms', 'email', 'call'],
  };
}
