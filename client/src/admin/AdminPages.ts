// One chunk for the account and administration pages: judges' tablets never download it.
export { AccountPage } from './AccountPage';
export { NewContestPage } from './NewContestPage';
export { UsersPage } from './UsersPage';
