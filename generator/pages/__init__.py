"""What pages the site has and where each lives: URLs are made here and nowhere else."""
