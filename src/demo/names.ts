export const FIRST_NAMES: readonly string[] = [
  'Aaron', 'Adele', 'Aisha', 'Akira', 'Alex', 'Alice', 'Amara', 'Ana', 'Anders', 'Ángel', 'Anika', 'Arjun', 'Ben',
  'Björn', 'Carlos', 'Chen', 'Chloé', 'Chidi', 'Claire', 'Daniel', 'David', 'Diego', 'Elena', 'Emma', 'Ethan', 'Fatima',
  'Felix', 'Grace', 'Hana', 'Hannah', 'Hiro', 'Ines', 'Isaac', 'Jack', 'James', 'Jin', 'José', 'Julia', 'Kai',
  'Kenji', 'Laura', 'Lea', 'Leon', 'Lucas', 'Maria', 'Marta', 'Mateo', 'Maya', 'Mei', 'Mohammed', 'Nadia', 'Noah',
  'Nora', 'Olga', 'Olivia', 'Omar', 'Pablo', 'Priya', 'Rahul', 'Renée', 'Ravi', 'Rosa', 'Sam', 'Sara', 'Sofia',
  'Sophie', 'Tariq', 'Thomas', 'Tomás', 'Uma', 'Victor', 'Wei', 'William', 'Yara', 'Yuki', 'Zoë',
];

export const LAST_NAMES: readonly string[] = [
  'Adeyemi', 'Alvarez', 'Andersson', 'Bauer', 'Becker', 'Bennett', 'Brown', 'Campbell', 'Chen', 'Clarke', 'Costa',
  'Dubois', 'Eriksen', 'Evans', 'Fischer', 'García', 'Gupta', 'Hansen', 'Harris', 'Hoffmann', 'Hughes', 'Ito', 'Iyer',
  'Jansen', 'Johnson', 'Kim', 'Kowalski', 'Kumar', 'Lambert', 'Lee', 'Lopez', 'Martin', 'Meyer', 'Moreau', 'Müller',
  'Murphy', 'Nakamura', 'Nguyen', 'Novak', 'Nwosu', "O'Brien", 'Okafor', 'Park', 'Patel', 'Pereira', 'Petrov',
  'Reddy', 'Rossi', 'Santos', 'Sato', 'Schmidt', 'Shah', 'Silva', 'Singh', 'Smith', 'Suzuki', 'Tanaka', 'Taylor',
  'Thompson', 'Van Dijk', 'Visser', 'Wagner', 'Walker', 'Wang', 'Weber', 'White', 'Wilson', 'Wong', 'Yamamoto', 'Zhang',
];

/** The ASCII, lower-case form of a name for an address: "Zoë" -> "zoe", "O'Brien" -> "obrien". */
export function toMailPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}
