export { RandomTokenGenerator } from './random-token-generator.js';
export { OWASP_SCRYPT_COST, type ScryptCost, ScryptPasswordHasher, TEST_SCRYPT_COST } from './scrypt-password-hasher.js';
