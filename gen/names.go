package gen

// Name pools by naming culture. A worker's culture is drawn from the mix of
// the country they live in (or claim to live in); covert workers draw from
// exactly the same mix as everyone claiming that country, so a name's
// origin carries no signal (DESIGN.md: nationality, ethnicity and name
// origin are never inputs). East Asian names are common among ordinary
// workers, in the United States and in East Asia.
type culture struct {
	given, family []string
}

var cultures = map[string]culture{
	"anglo": {
		given: []string{"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
			"David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Christopher", "Karen", "Daniel",
			"Emily", "Matthew", "Ashley", "Andrew", "Megan", "Joshua", "Rachel", "Ryan", "Lauren", "Kevin", "Hannah", "Brian",
			"Olivia", "Tyler", "Emma", "Jacob", "Grace", "Nathan", "Chloe", "Brandon", "Amanda", "Justin", "Nicole", "Eric",
			"Stephanie", "Adam", "Rebecca", "Jordan", "Taylor", "Sean", "Heather", "Aaron", "Kimberly", "Kyle", "Melissa"},
		family: []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
			"Thomas", "Moore", "Jackson", "Martin", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker",
			"Young", "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell",
			"Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris",
			"Murphy", "Cook", "Rogers", "Reed", "Bailey", "Bell", "Cooper", "Howard", "Ward", "Cox", "Richardson", "Wood",
			"Watson", "Brooks", "Bennett", "Gray", "Hughes", "Price", "Sanders", "Myers", "Long", "Ross", "Foster",
			"O'Brien", "Sullivan", "Kelly", "McCarthy", "Henderson", "Coleman", "Jenkins", "Perry", "Powell", "Patterson"},
	},
	"hispanic": {
		given: []string{"José", "Maria", "Luis", "Carmen", "Carlos", "Ana", "Juan", "Sofia", "Miguel", "Lucia", "Jorge",
			"Isabel", "Diego", "Valentina", "Alejandro", "Camila", "Javier", "Gabriela", "Fernando", "Daniela", "Ricardo",
			"Adriana", "Eduardo", "Mariana"},
		family: []string{"Garcia", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Perez", "Sanchez", "Ramirez",
			"Torres", "Flores", "Rivera", "Gomez", "Diaz", "Reyes", "Morales", "Cruz", "Ortiz", "Gutierrez", "Chavez", "Ramos",
			"Ruiz", "Alvarez", "Mendoza", "Castillo", "Vargas", "Romero", "Herrera", "Medina", "Aguilar"},
	},
	"chinese": {
		given:  []string{"Wei", "Jing", "Li", "Min", "Hao", "Xin", "Yan", "Jun", "Lei", "Mei", "Chen", "Yu", "Ming", "Hui", "Tao", "Fang", "Qiang", "Ying", "Jie", "Xiao", "Kevin", "Grace", "Amy", "Eric"},
		family: []string{"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao"},
	},
	"korean": {
		given:  []string{"Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Jae-won", "Soo-jin", "Hyun-woo", "Ji-woo", "Dong-hyun", "Eun-ji", "Sung-min", "Yoo-jin", "Joon-young", "Hye-jin", "Tae-yang", "Daniel", "Grace", "David", "Sarah", "Joseph"},
		family: []string{"Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Shin", "Kwon", "Song", "Hwang", "Ahn", "Ryu", "Jeon"},
	},
	"japanese": {
		given:  []string{"Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Yuto", "Sakura", "Kaito", "Mei", "Takumi", "Yuna", "Daiki", "Rin", "Kenji", "Akiko", "Hiroshi", "Yuki", "Kenta", "Naomi"},
		family: []string{"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Matsumoto", "Inoue", "Kimura", "Hayashi", "Shimizu"},
	},
	"taiwanese": {
		given:  []string{"Chia-hao", "Yi-ting", "Chih-wei", "Shu-fen", "Cheng-han", "Ya-ting", "Po-han", "Hsin-yi", "Kuan-yu", "Pei-shan"},
		family: []string{"Chen", "Lin", "Huang", "Chang", "Lee", "Wang", "Wu", "Liu", "Tsai", "Yang", "Hsu", "Cheng"},
	},
	"vietnamese": {
		given:  []string{"Anh", "Minh", "Linh", "Huy", "Thao", "Duc", "Trang", "Nam", "Lan", "Tuan", "Hoa", "Quang", "Khanh", "Phuong"},
		family: []string{"Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Vo", "Dang", "Bui", "Do", "Ngo", "Duong"},
	},
	"filipino": {
		given:  []string{"Mark", "Angelica", "John Paul", "Kristine", "Christian", "Mary Grace", "Jerome", "Princess", "Carlo", "Joanna", "Rhea", "Paolo"},
		family: []string{"Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza", "Villanueva", "Aquino", "Dela Cruz", "Castro", "Ramos"},
	},
	"southasian": {
		given:  []string{"Aarav", "Priya", "Rahul", "Ananya", "Vikram", "Sneha", "Arjun", "Pooja", "Rohan", "Kavya", "Amit", "Divya", "Sanjay", "Neha", "Karthik", "Lakshmi", "Raj", "Meera"},
		family: []string{"Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Rao", "Mehta", "Shah", "Joshi", "Desai", "Verma", "Krishnan", "Menon", "Chopra", "Bhat"},
	},
	"german": {
		given:  []string{"Lukas", "Anna", "Felix", "Lena", "Jonas", "Marie", "Leon", "Sophie", "Paul", "Laura", "Maximilian", "Julia", "Tobias", "Katharina"},
		family: []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf"},
	},
	"french": {
		given:  []string{"Lucas", "Chloé", "Hugo", "Camille", "Louis", "Léa", "Gabriel", "Manon", "Arthur", "Inès", "Julien", "Claire"},
		family: []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Laurent", "Lefebvre"},
	},
	"spanish": {
		given:  []string{"Pablo", "Lucía", "Álvaro", "Marta", "Sergio", "Elena", "Javier", "Paula", "Raúl", "Irene"},
		family: []string{"García", "Fernández", "González", "Rodríguez", "López", "Martín", "Sánchez", "Pérez", "Gómez", "Navarro"},
	},
	"dutch": {
		given:  []string{"Daan", "Emma", "Sem", "Julia", "Lars", "Sanne", "Bram", "Lotte", "Thijs", "Femke"},
		family: []string{"de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos"},
	},
	"polish": {
		given:  []string{"Jakub", "Zofia", "Kacper", "Julia", "Piotr", "Katarzyna", "Tomasz", "Agnieszka", "Michał", "Magdalena", "Paweł", "Anna"},
		family: []string{"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Dąbrowski"},
	},
	"ukrainian": {
		given:  []string{"Oleksandr", "Olena", "Andrii", "Iryna", "Dmytro", "Natalia", "Serhii", "Tetiana", "Mykola", "Yulia"},
		family: []string{"Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boyko", "Oliynyk", "Koval", "Marchenko"},
	},
	"nigerian": {
		given:  []string{"Chinedu", "Ngozi", "Oluwaseun", "Amaka", "Emeka", "Funmilayo", "Tunde", "Chiamaka", "Ifeoma", "Segun"},
		family: []string{"Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Adebayo", "Nwosu", "Oyelaran", "Okeke", "Afolabi"},
	},
	"arabic": {
		given:  []string{"Omar", "Layla", "Ahmed", "Yasmin", "Khalid", "Nadia", "Karim", "Rania", "Sami", "Leila"},
		family: []string{"Haddad", "Khalil", "Mansour", "Nasser", "Saleh", "Hassan", "Farah", "Aziz", "Kassem", "Haddad"},
	},
	"brazilian": {
		given:  []string{"João", "Ana", "Pedro", "Beatriz", "Lucas", "Mariana", "Gabriel", "Larissa", "Rafael", "Fernanda"},
		family: []string{"Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Costa", "Almeida", "Ferreira", "Carvalho"},
	},
}

// cultureMix is a country's mix of naming cultures, as weights.
type cultureMix []struct {
	name string
	w    float64
}

func (m cultureMix) pick(r *rng) string {
	w := make([]float64, len(m))
	for i, c := range m {
		w[i] = c.w
	}
	return m[r.weighted(w)].name
}

// NamePool returns every given and family name the generator can give
// someone living in, or claiming to live in, country (ISO alpha-2). Tests
// use it to show that covert workers' names come from the same pool as
// everyone else's.
func NamePool(country string) (given, family []string) {
	c := countryByCode(country)
	if c == nil {
		return nil, nil
	}
	for _, m := range c.cultures {
		cu := cultures[m.name]
		given = append(given, cu.given...)
		family = append(family, cu.family...)
	}
	return given, family
}
