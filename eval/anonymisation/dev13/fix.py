import re
p='notes.txt'; s=open(p).read()
s=re.sub(r"⟦(M\.|Mme|Mlle|Dr\.?|Pr\.?|Me|Mr) ([^|⟧]+)\|nom:(p\d+)⟧", r"\1 ⟦\2|nom:\3⟧", s)
open(p,'w').write(s)
