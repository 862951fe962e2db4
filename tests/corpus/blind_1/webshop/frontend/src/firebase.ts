import { initializeApp } from 'firebase/app';
import { getAnalytics } from 'firebase/analytics';

const firebaseConfig = {
  apiKey: 'AIzaSy1Yz7gN_ayUa75gJkOzSV5eHDI_jZqaB22',
  authDomain: 'demolen-app.firebaseapp.com',
  projectId: 'demolen-app',
  storageBucket: 'demolen-app.appspot.com',
  messagingSenderId: '414118708739',
  appId: '1:955816653158:web:3eb0329f778c1b527f61aa',
};

export const app = initializeApp(firebaseConfig);
export const analytics = getAnalytics(app);
