/** The 15 person topics the library must hold (Content IV), as tests expect them. */
export const PEOPLE = [
  'khrushchev',
  'stalin',
  'beria',
  'malenkov',
  'molotov',
  'kaganovich',
  'zhukov',
  'mikoyan',
  'brezhnev',
  'suslov',
  'imre-nagy',
  'gomulka',
  'tito',
  'tvardovsky',
  'solzhenitsyn',
];
